"""Completion (结业): the class's completion rule, credit hours (学时) and certificates."""
