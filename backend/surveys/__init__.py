"""The satisfaction survey (附件2), its tally (附件3) and the lecturers' own ratings."""
