"""Putting a visitor in touch with the clinic's team: callback requests (Rasa-free)."""
