"""The symptom checker's views. (Being built in the checker issue.)"""

from .views import _unbuilt

checker = checker_api = _unbuilt
