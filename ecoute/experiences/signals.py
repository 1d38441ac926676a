"""Events other apps may listen to (e.g. follows e-mails followers), sent after commit.

experiences imports none of its listeners: they connect in their AppConfig.ready().
"""

from django.dispatch import Signal

# Sent with `experience_id` (int) and `event` ("published", "hidden" or "answered").
experience_event = Signal()
