"""The SIP meeting: the invitation (kallelse) and its draft, meeting times, convening, attendance,
calendar files."""
