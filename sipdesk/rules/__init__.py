"""The SIP's pure rules: working days and holidays, personal numbers, labels.  No database."""
