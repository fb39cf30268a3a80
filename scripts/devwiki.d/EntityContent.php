<?php
// Wikibase entity JSON without Wikibase (which cannot be installed offline): the content model of
// devwikidata's items and properties. The text is kept verbatim (no pretty-printing, trimming or
// line-ending changes, so rev_len is the byte length of the JSON as written, imported or not) and is
// valid when it is a JSON object. Enough for stats from revision metadata and entity-JSON diffs; not a
// stand-in for the Wikibase API, its wb_* tables, merges or redirects.

class DevEntityContent extends TextContent {
	public function isValid() {
		return json_decode( $this->getText() ) instanceof stdClass;
	}
}

class DevEntityContentHandler extends TextContentHandler {
	public function __construct( $modelId ) {
		parent::__construct( $modelId, [ CONTENT_FORMAT_JSON ] );
	}

	public function unserializeContent( $text, $format = null ) {
		$this->checkFormat( $format );
		return new DevEntityContent( $text, $this->getModelID() );
	}

	public function makeEmptyContent() {
		return new DevEntityContent( '{}', $this->getModelID() );
	}

	public function preSaveTransform(
		Content $content, MediaWiki\Content\Transform\PreSaveTransformParams $pstParams
	): Content {
		return $content;
	}
}
