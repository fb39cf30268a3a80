-- maintain-views.yaml `allowed_logtypes` (52 types; `suppress` is deliberately absent).
'abusefilter', 'articlefeedbackv5', 'block', 'campus', 'close', 'contentmodel', 'course', 'create',
'delete', 'eparticle', 'gather', 'gblblock', 'gblrename', 'gblrights', 'globalauth', 'growthexperiments',
'gwtoolset', 'import', 'institution', 'instructor', 'interwiki', 'liquidthreads', 'lock', 'managetags',
'massmessage', 'merge', 'moodbar', 'move', 'mwoauthconsumer', 'newsletter', 'newusers', 'notifytranslators',
'online', 'pagelang', 'pagetranslation', 'pagetriage-copyvio', 'pagetriage-curation', 'pagetriage-deletion',
'patrol', 'protect', 'renameuser', 'review', 'rights', 'spamblacklist', 'stable', 'student', 'tag', 'thanks',
'timedmediahandler', 'translationreview', 'upload', 'usermerge'
