"""boardsheet: keeps Trello boards and Google Sheets calendars equal."""

__version__ = "0.1.0"
