"""Entry point of the `sipdesk` command: core commands without Qt, otherwise the GUI."""

from __future__ import annotations

import logging
import sys

from sipdesk.cli import build_parser, run_core_command


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command and args.smoke_test:
        parser.error(f"--smoke-test startar fönstret och går inte ihop med {args.command}")
    # Commands talk to the user in Swedish; log lines only when something is wrong. The GUI
    # logs more (never personal data) to help support.
    level = logging.WARNING if args.command else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.command == "print":
        from reports.cli import run_print_command  # ReportLab only when printing

        return run_print_command(args)
    if args.command:
        return run_core_command(args)
    from ui.app import run_gui  # Qt is imported only for the GUI

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
