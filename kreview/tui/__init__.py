"""The Textual reader. Widgets live in private-ish modules under widgets/ and
screens/; the domain they show comes from kreview.core."""
