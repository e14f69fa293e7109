"""The `boardsheet` console script: the Typer app and one module per command group."""
