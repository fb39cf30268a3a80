<?php
// devwikidata: a Wikidata-like wiki without Wikibase. Items (Q1, ...) live in the main namespace with content
// model wikibase-item, properties (Property:P1, ...) in namespace 120 with wikibase-property; both store entity
// JSON verbatim (see EntityContent.php). We never write here as the bot: tests and the demo do, as users.
$wgAutoloadClasses['DevEntityContent'] = __DIR__ . '/EntityContent.php';
$wgAutoloadClasses['DevEntityContentHandler'] = __DIR__ . '/EntityContent.php';
$wgExtraNamespaces[120] = 'Property';
$wgExtraNamespaces[121] = 'Property_talk';
$wgContentHandlers['wikibase-item'] = DevEntityContentHandler::class;
$wgContentHandlers['wikibase-property'] = DevEntityContentHandler::class;
$wgNamespaceContentModels[NS_MAIN] = 'wikibase-item';
$wgNamespaceContentModels[120] = 'wikibase-property';
$wgContentNamespaces = [ NS_MAIN, 120 ];
