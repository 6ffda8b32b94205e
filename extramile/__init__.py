"""Extra Mile: a workshop kit and reflection journal on going the extra mile for customers."""

__version__ = "0.1.0"
