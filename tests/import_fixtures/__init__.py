"""Builders of the importer's test inputs: PDFs, WordPress pages and exports, manifests."""
