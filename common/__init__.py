"""The vocabulary every package shares: the typed config and its loading, the clock, ISO weeks and the
reporting calendar, the plan's channels, and the Messenger interface. Imports nothing of ours outside it."""
