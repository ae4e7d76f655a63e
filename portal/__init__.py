"""The composition on top of the apps: the root URLconf, each role's home page and the demo. It may
import every app; no app imports it."""
