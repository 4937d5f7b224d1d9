"""Rasa action server adapters: thin `Action` classes over the plain modules beside them."""
