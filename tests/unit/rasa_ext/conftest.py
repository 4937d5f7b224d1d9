"""Rasa-side tests run with the patches installed, as every Rasa process of the bot does."""

from __future__ import annotations

from rasa_ext import patches

patches.install()
