"""Reading a visitor's message with the conversation around it: plain Python, no Rasa.

The bag-of-n-grams classifier sees one text at a time. These modules decide
which texts it should see and what its readings of them mean together:

- `segments`: a message split into its questions and statements;
- `followups`: a short follow-up ("and alcohol?") rewritten as the full
  question the conversation implies ("alcohol after the treatment");
- `language`: whether the visitor writes in another language;
- `decision`: from the readings of the whole message, its parts and its
  follow-up rewrite, and what the bot last answered: what was asked.

The Rasa side (rasa_ext/nlu/readings.py) runs the classifier on these texts
and hands the result to the dialogue.
"""
