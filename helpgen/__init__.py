"""helpgen: turn a folder of Markdown articles into a multilingual, self-service help center."""

__version__ = "0.1.0"
