/**
 * The CNN: its settings, construction, the model package ({@code model.zip}) and checkpoint state.
 */
package org.tessexo.common.model;
