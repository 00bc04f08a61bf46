#!/usr/bin/python3
"""Writes the expected scikit-learn outputs that ClassificationReportTests compare against.

Run once with Debian's scikit-learn (apt-get install python3-sklearn; 1.2.1 on Debian 12):
    /usr/bin/python3 tests/FashionMnist.Baselines.Tests/TestData/sklearn/make_expected.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import classification_report, confusion_matrix, log_loss, top_k_accuracy_score

FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261129)


def noisy_predictions(y_true, classes, accuracy):
    y_pred = y_true.copy()
    wrong = rng.random(len(y_true)) > accuracy
    y_pred[wrong] = rng.integers(0, classes, wrong.sum())
    return y_pred


def case(name, class_names, y_true, y_pred, digits=2, zero_division="warn", probabilities=None):
    labels = list(range(len(class_names)))
    result = {
        "sklearn": sklearn.__version__,
        "class_names": class_names,
        "y_true": [int(v) for v in y_true],
        "y_pred": [int(v) for v in y_pred],
        "digits": digits,
        "zero_division": 0 if zero_division == "warn" else zero_division,
        "report": classification_report(y_true, y_pred, labels=labels, target_names=class_names,
                                        digits=digits, zero_division=zero_division),
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "confusion_matrix_true": confusion_matrix(y_true, y_pred, labels=labels, normalize="true").tolist(),
        "confusion_matrix_pred": confusion_matrix(y_true, y_pred, labels=labels, normalize="pred").tolist(),
        "confusion_matrix_all": confusion_matrix(y_true, y_pred, labels=labels, normalize="all").tolist(),
    }
    if probabilities is not None:
        result["probabilities"] = probabilities.tolist()
        result["log_loss"] = log_loss(y_true, probabilities, labels=labels)
        result["top_2_accuracy"] = top_k_accuracy_score(y_true, probabilities, k=2, labels=labels)
    with open(os.path.join(here, name + ".json"), "w") as f:
        json.dump(result, f, indent=1)


# 1. Fashion-MNIST-like: 1000 samples, about 88% right; two digit settings.
y = rng.integers(0, 10, 1000)
p = noisy_predictions(y, 10, 0.88)
case("fashion_digits2", FASHION, y, p, digits=2)
case("fashion_digits4", FASHION, y, p, digits=4)

# 2. One class is never predicted (precision 0/0), with zero_division 0 and 1.
p2 = p.copy()
p2[p2 == 6] = 0
case("never_predicted_zero", FASHION, y, p2, digits=3, zero_division=0)
case("never_predicted_one", FASHION, y, p2, digits=3, zero_division=1)

# 3. One class absent from both truth and predictions: scikit-learn prints "micro avg" instead of "accuracy".
keep = y != 9
y3, p3 = y[keep], p[keep]
p3[p3 == 9] = 8
case("absent_class", FASHION, y3, p3, digits=2)

# 4. Three short class names (the "weighted avg" heading sets the width), and probabilities.
y4 = rng.integers(0, 3, 300)
logits = rng.normal(size=(300, 3)) + 2.0 * np.eye(3)[y4]
probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
case("three_classes", ["a", "bb", "ccc"], y4, probabilities.argmax(axis=1), digits=3, probabilities=probabilities)

# 5. Exact ties at the rounding digit (0.125, 0.375, ...): Python rounds half to even.
y5 = np.array([0] * 8 + [1] * 8)
p5 = np.array([0] * 1 + [1] * 7 + [1] * 3 + [0] * 5)
case("ties", ["left", "right"], y5, p5, digits=2)

# 6. The test set's shape: 1,000 images per class, so recalls are k/1000, chosen here where the binary value of k/1000
#    decides the rounding at 2 digits (0.905 prints 0.91, 0.845 prints 0.84); the errors go to the next class.
right = [905, 985, 845, 915, 855, 995, 805, 975, 985, 925]
y6 = np.repeat(np.arange(10), 1000)
p6 = y6.copy()
for c, k in enumerate(right):
    p6[c * 1000 + k:(c + 1) * 1000] = (c + 1) % 10
case("test_set_like", FASHION, y6, p6, digits=2)
