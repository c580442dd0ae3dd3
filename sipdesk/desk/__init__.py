"""What the screens read across every step of the SIP, on top of them all: the case list and new
cases (cases), Att göra (todo), the next step, the case page and the forms its dialogs open
with, what Planen may do now (plan_commands), a message as the mailbox shows it."""
