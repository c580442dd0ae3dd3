"""Printing with ReportLab, built from core data. Never imports Qt; imported only when printing."""
