package org.tessexo.common.eval;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Held-out evaluation of a two-class model: accuracy, precision, recall at a threshold, and the exact area under
 * the ROC curve (Mann-Whitney U, ties counted half), and the log loss (the mean cross-entropy of the labels under the
 * scores, each clipped to [1e-7, 1 - 1e-7]: how sure and how right). Class 1 is the positive class. Fields are null
 * when they are undefined (no samples, no positive predictions, a single class).
 */
public record BinaryMetrics(int samples, Double accuracy, Double precision, Double recall, Double auc,
                            Double logLoss) {

    public static BinaryMetrics empty() {
        return new BinaryMetrics(0, null, null, null, null, null);
    }

    /** @param scores probability of class 1 per sample; @param labels 0 or 1 per sample */
    public static BinaryMetrics compute(double[] scores, int[] labels, double threshold) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + labels.length + " labels");
        }
        int n = scores.length;
        if (n == 0) {
            return empty();
        }
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < n; i++) {
            boolean predicted = scores[i] >= threshold;
            boolean actual = labels[i] == 1;
            if (predicted && actual) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (actual) {
                fn++;
            } else {
                tn++;
            }
        }
        Double precision = tp + fp == 0 ? null : (double) tp / (tp + fp);
        Double recall = tp + fn == 0 ? null : (double) tp / (tp + fn);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.min(1 - 1e-7, Math.max(1e-7, scores[i]));
            loss -= labels[i] == 1 ? Math.log(p) : Math.log(1 - p);
        }
        return new BinaryMetrics(n, (double) (tp + tn) / n, precision, recall, auc(scores, labels), loss / n);
    }

    static Double auc(double[] scores, int[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        long positives = Arrays.stream(labels).filter(l -> l == 1).count();
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        double rankSumPositives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // 1-based ranks, ties share the mean
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    rankSumPositives += averageRank;
                }
            }
            i = j + 1;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
