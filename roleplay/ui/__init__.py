"""The trainer's terminal app (Textual). The core under roleplay.core never imports this."""
