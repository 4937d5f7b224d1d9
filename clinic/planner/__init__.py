"""Planning a personal course of mesotherapy sessions: plain, typed Python with no Rasa.

- `schedule`: the rules of the article turned into dates (`plan_schedule`).
- `dates`: a visitor's words into a day or a `Vague` stretch of time, reading the
  phrases in `date_days` (one day) and `date_stretches` (stretches) with the words
  and calendar sums of `date_words`, then dateparser.
- `values`: a visitor's words into one value (a date, a count, weekdays, treatments, trips).
- `form_answers`: a whole message into the planner's answers.
- `chat_text` and `ics`: the schedule as a chat message and as a calendar file.

The article's numbers (3–15 sessions, a week before a peel) are in `clinic.rules`;
the sentences in `clinic/messages/schedule.yml`.

The words: the planner is this feature and the form that asks its questions
(`schedule_form` in Rasa's domain); a schedule is what it makes (`Schedule`);
"plan" is only the verb (`plan_schedule`). Visitors read "your plan".
"""
