"""Messages between the principals: sending, the mailbox, receipts (kvittens), live notification."""
