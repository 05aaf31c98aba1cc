"""Catalogue commands: init, add, edit, remove, show, list, check, orgs, glossary, export."""
