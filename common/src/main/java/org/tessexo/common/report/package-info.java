/**
 * What a run tells its user: the counts ({@code Tally}), {@code run-report.json} ({@code RunReport}, built by the job
 * alone) and advice for unused input ({@code InputAdvice}).
 */
package org.tessexo.common.report;
