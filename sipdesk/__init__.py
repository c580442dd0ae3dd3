"""sipdesk core: data, rules and use cases for SIP. Plain Python and peewee — never Qt."""

__version__ = "0.1.0"
