"""The answering stages and the engine that runs them: understand → retrieve / task lists → decide → compose,
the conversation's moves and the one contract every channel uses.

Channels import the contract from here (`EngineContract`, `Answer`, `Context`); the concrete `Engine`
(bot/engine/coordinator.py) is made by `Engine.load` or bot/office/publish.py `load_engine`. Importing this
package loads no index and no dictionary.
"""
from bot.engine.answer import Answer, Context, EngineContract, Intent, Result, Topic

__all__ = ["Answer", "Context", "EngineContract", "Intent", "Result", "Topic"]
