"""Clients for the Trello and Google Sheets APIs, plus local emulators of both; nothing here knows boardsheet."""
