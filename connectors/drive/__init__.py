"""The Google Drive v3 client: push channels on spreadsheets and who last modified them."""
