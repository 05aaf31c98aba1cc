"""Commands of this area attach themselves to ``reslib.cli.base.cli``."""
