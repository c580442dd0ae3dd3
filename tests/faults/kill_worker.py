"""The program the kill -9 fault test kills (tests/faults/test_kill.py): it writes through the
real use cases in a loop and prints a line after each confirmed commit, so the test knows what
the database promised before the process died.

    python -m tests.faults.kill_worker DATABASE_URL LOGIN FIRST_NUMBER_INDEX
"""

from __future__ import annotations

import sys

from sipdesk.casework import drafts
from sipdesk.casework.people import PersonInput
from sipdesk.demo import skatteverket_test_numbers
from sipdesk.desk.cases import create_case_for_new_person
from sipdesk.storage.db import connect, parse_url
from sipdesk.storage.models import User


def main(url: str, login: str, first: int) -> None:
    connect(parse_url(url))
    actor = User.get(User.login == login)
    numbers = skatteverket_test_numbers()
    for index in range(first, len(numbers)):
        # A case with its new person (one transaction), then a wizard's draft on it.
        case = create_case_for_new_person(actor, person=PersonInput(
            personal_number=numbers[index], first_name="Testperson",
            last_name=f"Nummer{index}", address="Storgatan 1", postal_code="123 45",
            city="Exempelby"))
        print(f"case {case.number}", flush=True)
        drafts.save_draft(actor, case, "kallelse", {"place": "Storgatan 1", "index": index})
        print(f"draft {case.number}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
