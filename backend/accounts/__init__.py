"""Staff accounts: their rules in one place, for the API, the command line and the demo."""
