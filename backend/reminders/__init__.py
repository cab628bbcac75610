"""Reminders (微信订阅消息): credits, queued messages, their delivery and the scheduler."""
