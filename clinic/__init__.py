"""The Rasa-free core of the clinic's assistant, imported by all three processes.

The Rasa server (`rasa_ext`), the action server (`actions`) and the web app
(`web`) all use it; it imports none of them, and no Rasa or rasa-sdk.

- `settings`: the clinic's details and limits from clinic.yml, checked by typed models.
- `environment`: every environment variable, declared once and read through it.
- `known_warnings`: third-party deprecations each process hides at its start.
- `rules`: the article's numbers the planner follows (3–15 sessions, a week before a peel).
- `content`: the article, its facts F1–F29 and which bot text states which (content/).
- `messages/`: the bot's words outside Rasa's responses, by topic.
- `planner/`: dates in, schedule out; the chat text and the .ics file.
- `calendars`: where the .ics files live and what they are called.
- `clarification`: the "did you mean…?" guesses and their titles.
- `guard/`: what the public chat accepts (input checks, rate limits, signed sessions).
- `privacy/`: personal data out of the logs; deleting a conversation.
- `tracker_db`: the tracker store's SQL table, for staff tools that run without Rasa.
"""
