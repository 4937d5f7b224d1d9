"""What runs inside the Rasa server: NLU components, channels, stores, responses, patches.

- `nlu/`: the spaCy pipeline built in code and the custom NLU components (config.yml).
- `channels/`: the guarded REST and socket.io channels, the health route, and the
  credentials file for messaging channels (credentials.yml).
- `stores/`: the windowed SQL tracker store and the atomic Redis lock store (endpoints*.yml).
- `nlg.py`: responses with the clinic's details (endpoints*.yml).
- `patches.py`: every change to Rasa's own code, installed by `python -m rasa_ext`.

It imports the Rasa-free `clinic` package; nothing in `clinic`, `actions` or `web`
imports it.
"""
