"""Small helpers shared by every package: config types, clock, ISO weeks, the Messenger interface."""
