/**
 * One light curve from data to vetted candidates, the same everywhere: the batch {@code search} and {@code detect}
 * on the executors, and the HTTP server (serve/). The search and the vetting ({@link
 * org.tessexo.common.detect.LightCurveSearch}), and the candidates table's columns ({@link
 * org.tessexo.common.detect.CandidateColumns}).
 */
package org.tessexo.common.detect;
