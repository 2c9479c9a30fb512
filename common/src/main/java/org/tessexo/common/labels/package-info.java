/**
 * Matching a labels table's file column to listed files, and reading a label value.
 */
package org.tessexo.common.labels;
