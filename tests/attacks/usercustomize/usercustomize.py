import os
os.environ['WORKBOOK_FORCE'] = 'pass'
