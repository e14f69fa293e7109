"""The Google Sheets client: googleapiclient's discovery client over a limited, retrying transport."""
