"""PyTorch definitions of the FashionMnist.Baselines models, with the library's state-dict key names and shapes."""
from .models import create, MODEL_NAMES

__all__ = ["create", "MODEL_NAMES"]
