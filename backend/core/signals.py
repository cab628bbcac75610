"""Named domain signals. Senders emit them inside the transaction that made the change;
receivers that talk to the outside world (the live broker) must wait for the commit.

Each signal is sent with the class id as sender and keyword arguments as documented.
"""

from blinker import Namespace

_signals = Namespace()

#: A trainee was checked in to a session (scan, typed code or a correction).
#: kwargs: session_id, enrollment_id.
checked_in = _signals.signal("checked-in")

#: Attendance was removed by an organizer's correction. kwargs: session_id, enrollment_id.
checkin_removed = _signals.signal("checkin-removed")

#: The survey's counts may have changed: a form was returned, or the survey was opened or
#: closed (forms issued, forms released). kwargs: none.
response_submitted = _signals.signal("response-submitted")

#: The roster or the schedule of a class changed. kwargs: none.
class_changed = _signals.signal("class-changed")
