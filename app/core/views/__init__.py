"""Views: tabs rendered from the board for reading only (the month grid) and the list tab's looks (pure)."""
