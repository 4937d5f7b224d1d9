"""The console's routes, one module per area, each route short and calling its module.

`staff.app.create_blueprint` puts them on one blueprint: static.py (the
console's CSS and scripts), sign_in.py, two_factor.py (each member's own
two-factor sign-in), accounts.py (administrators manage accounts),
overview.py (staff/insights.py, and its CSV), unanswered.py
(staff/unanswered.py, review.py, export.py), feedback.py, safety.py,
callbacks.py, conversations.py (staff/conversation_list.py for the list) and
live.py (staff/live.py and Rasa's handoff route). What they all share (the
database, pages, the sign-in guard, roles and CSRF) is in console.py.
"""
