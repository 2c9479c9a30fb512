/**
 * The networks (the image CNN, the AstroNet-kind views CNN), their settings, DL4J's oneDNN path ({@code OneDnn}),
 * the model package ({@code model.zip}) and checkpoint state.
 */
package org.tessexo.common.model;
