"""请假 and 补签: trainees ' requests about their attendance, settled by the organizer."""
