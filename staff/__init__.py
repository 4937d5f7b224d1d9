"""The clinic staff's console: what visitors ask, what the bot couldn't answer, and more.

A Sanic blueprint mounted at `/staff/` by the web app (staff/app.py), whose
routes (staff/routes/, one module per area) are short and call plain
modules: accounts and sign-in (accounts.py, sign_in.py), an index of visitor
turns kept up to date from the tracker store's events (turns.py, indexer.py),
the numbers and groups staff read (insights.py, unanswered.py, feedback.py)
over a period (periods.py), the safety log (safety.py), callback requests
(callbacks.py), live chats (live.py), what is waiting for someone, for the
navigation's badges (badges.py), what staff file for review or export
(review.py, export.py, overview_export.py), the Conversations page's list
(conversation_list.py), and reading and deleting conversations on request or
when they pass the retention period (conversations.py). What staff read in
place of the bot's internals (topic titles, button labels, formatting) is
wording.py. Its tables live in the tracker store's database, beside
`events` (staff/db.py).
"""
