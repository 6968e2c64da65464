"""Participant privacy: the name register's pseudonymiser and the suggestions of names to register."""
