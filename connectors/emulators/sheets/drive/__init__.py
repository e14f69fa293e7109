"""Drive v3 on the Sheets emulator's port and state: files, permissions, revisions, push channels."""
