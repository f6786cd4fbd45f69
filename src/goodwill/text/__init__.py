"""Text models: sentiment, intent, themes and key-message pull-through."""
